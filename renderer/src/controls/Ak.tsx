/** A label with its access key underlined ("&Test connection" → Test connection with the T underlined). */
import { parseAccessText } from './access-key-text.ts';

export function Ak({ text }: { text: string }) {
  const { before, key, after } = parseAccessText(text);
  if (key === null) return <>{before}</>;
  // One element, so that a flex label does not space the underlined letter apart from its word.
  return (
    <span>
      {before}
      <u className="ak">{key}</u>
      {after}
    </span>
  );
}
