/** The account's photo from AD (thumbnailPhoto, kept as a JPEG of at most 96×96), when it has one. */
import { useEffect, useState } from 'react';
import type { AccountRecord } from '../../../shared/users-view.ts';
import { api } from '../api.ts';

export function AccountPhoto({ account }: { account: Pick<AccountRecord, 'logon' | 'displayName' | 'hasPhoto'> }) {
  const [photo, setPhoto] = useState('');
  useEffect(() => {
    let current = true;
    setPhoto('');
    if (account.hasPhoto)
      void api.invoke('accounts.photo', { logon: account.logon }).then((r) => {
        if (current && r.ok) setPhoto(r.value.photo);
      });
    return () => {
      current = false;
    };
  }, [account.logon, account.hasPhoto]);
  if (!photo) return null;
  return (
    <img
      className="account-photo"
      src={`data:image/jpeg;base64,${photo}`}
      alt={`Photo of ${account.displayName || account.logon}`}
    />
  );
}
