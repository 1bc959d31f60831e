/** The message box: a short answer first, details below, one OK button. */
import { useId, type ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';

export interface MessageBoxProps {
  title: string;
  kind: 'info' | 'error' | 'warning';
  message: string;
  children?: ReactNode;
  onClose: () => void;
}

// Plain letters in drawn circles: no emoji font is needed for the icon to show.
const ICONS = { info: 'i', error: '×', warning: '!' };

export function MessageBox({ title, kind, message, children, onClose }: MessageBoxProps) {
  const messageId = useId();
  return (
    <Dialog
      title={title}
      role="alertdialog"
      onCancel={onClose}
      onSubmit={onClose}
      width={560}
      describedBy={messageId}
      buttons={
        <button type="submit" data-autofocus className="default">
          OK
        </button>
      }
    >
      <div className={`message message-${kind}`}>
        <span className={`message-icon ${kind}`} aria-hidden="true">
          {ICONS[kind]}
        </span>
        <p id={messageId} className="message-text">
          {message}
        </p>
      </div>
      {children}
    </Dialog>
  );
}
