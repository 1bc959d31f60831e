/** The Test connection message box: the summary, then every step that ran with its time. */
import type { TestReport, TestStepName } from '../../../shared/contract.ts';
import { inViewersTime } from '../controls/local-time.ts';
import { MessageBox } from '../controls/MessageBox.tsx';

const STEP_LABELS: Record<TestStepName, string> = {
  resolve: 'Resolve server',
  connect: 'Connect',
  tls: 'Encryption (TLS)',
  bind: 'Log on (bind)',
  directory: 'Read directory',
  container: 'Find container',
  accounts: 'Count accounts',
  policy: 'Password policy',
  'im-connect': 'Reach the API',
  'im-host': 'IM host',
  'im-permissions': 'Commands allowed',
  'im-roster': 'Roster versioning',
  'db-connect': 'Connect',
  'db-schema': 'Schema',
  'db-rights': 'Rights',
};

export function TestResultBox({
  report,
  onClose,
  title = 'Test connection',
}: {
  report: TestReport;
  onClose: () => void;
  title?: string;
}) {
  return (
    <MessageBox
      title={title}
      kind={report.ok ? 'info' : 'error'}
      message={inViewersTime(report.summary)}
      onClose={onClose}
    >
      <ol className="steps" aria-label="Steps">
        {report.steps.map((step) => (
          <li key={step.name} className={step.ok ? 'step ok' : 'step failed'}>
            <span className="step-mark" aria-hidden="true">
              {step.ok ? '✔' : '✘'}
            </span>
            <span className="step-name">
              {STEP_LABELS[step.name] ?? step.name} {step.ok ? '' : '(failed)'}
            </span>
            <span className="step-ms">{step.ms} ms</span>
            <span className="step-detail">
              {inViewersTime(step.detail)}
              {step.hint ? <em className="step-hint"> {inViewersTime(step.hint)}</em> : null}
            </span>
          </li>
        ))}
      </ol>
    </MessageBox>
  );
}
