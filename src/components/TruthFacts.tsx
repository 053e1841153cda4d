import { formatBearingDeg, formatDistanceM } from '../ui/format';
import type { TruthFigures } from '../state/resultFigures';

/** Error against the known transmitter (simulated or surveyed scenes). */
export function TruthFacts({ truth, known }: { truth: TruthFigures | null; known: boolean }) {
  // The same three rows whether or not the truth is known, so selecting a scene moves nothing.
  const pending = known ? '–' : 'not known';
  return (
    <dl className="kv" data-testid="truth-facts">
      <dt>Error</dt>
      <dd className="num" data-testid="truth-error">
        {truth
          ? `${formatDistanceM(truth.errorM)} towards ${formatBearingDeg(truth.bearingDeg)}`
          : '–'}
      </dd>
      {(
        truth?.inside ?? [
          { p: 0.68, inside: false },
          { p: 0.95, inside: false },
        ]
      ).map((x) => (
        <FragmentRow
          key={x.p}
          label={`Inside ${Math.round(x.p * 100)} %`}
          value={truth ? (x.inside ? 'yes' : 'no') : pending}
          ok={truth ? x.inside : null}
          testId={`truth-inside-${Math.round(x.p * 100)}`}
        />
      ))}
    </dl>
  );
}

function FragmentRow(props: { label: string; value: string; ok: boolean | null; testId: string }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd
        data-testid={props.testId}
        className={props.ok === null ? '' : props.ok ? 'ok-text' : 'warn-text'}
      >
        {props.value}
      </dd>
    </>
  );
}
