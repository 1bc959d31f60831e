/** Help: the topics on the left, the chosen one on the right, as Windows help windows have it. */
import { useState } from 'react';
import { Ak } from '../controls/Ak.tsx';
import { Dialog } from '../controls/Dialog.tsx';
import { HELP_TOPICS, type HelpTopicId } from './help-topics.ts';

export function HelpDialog({ topic, onClose }: { topic: HelpTopicId; onClose: () => void }) {
  const [shown, setShown] = useState<HelpTopicId>(topic);
  const current = HELP_TOPICS.find((t) => t.id === shown)!;
  return (
    <Dialog
      title="AD Console Help"
      help="help"
      width={720}
      onCancel={onClose}
      onSubmit={onClose}
      buttons={
        <button type="submit" className="default" data-autofocus>
          <Ak text="&Close" />
        </button>
      }
    >
      <div className="help">
        <nav aria-label="Help topics" className="help-topics">
          {HELP_TOPICS.map((t) => (
            <button
              key={t.id}
              type="button"
              className={t.id === shown ? 'link current' : 'link'}
              aria-current={t.id === shown ? 'page' : undefined}
              onClick={() => setShown(t.id)}
            >
              {t.title}
            </button>
          ))}
        </nav>
        <article aria-label={current.title} className="help-text">
          <h2>{current.title}</h2>
          {current.paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </article>
      </div>
    </Dialog>
  );
}
