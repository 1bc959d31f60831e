/** A yes/no question; the safe answer (No) is the default button, Esc also answers No. */
import { Ak } from './Ak.tsx';
import { useId } from 'react';
import { Dialog } from './Dialog.tsx';

export function ConfirmBox({
  title,
  message,
  yes,
  no,
  onAnswer,
}: {
  title: string;
  message: string;
  yes: string;
  no: string;
  onAnswer: (yes: boolean) => void;
}) {
  const messageId = useId();
  return (
    <Dialog
      title={title}
      role="alertdialog"
      width={480}
      describedBy={messageId}
      onCancel={() => onAnswer(false)}
      onSubmit={() => onAnswer(false)}
      buttons={
        <>
          <button type="button" onClick={() => onAnswer(true)}>
            <Ak text={yes} />
          </button>
          <button type="submit" className="default" data-autofocus>
            <Ak text={no} />
          </button>
        </>
      }
    >
      <div className="message">
        <span className="message-icon warning" aria-hidden="true">
          !
        </span>
        <p id={messageId} className="message-text">
          {message}
        </p>
      </div>
    </Dialog>
  );
}
