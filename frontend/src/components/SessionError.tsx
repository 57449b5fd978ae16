import { describeFailure, type SessionFailure } from "../session/errors";
import "./SessionError.css";

interface Props {
  failure: SessionFailure;
  onRetry: () => void;
}

/** Why Sous is not connected, in plain words, with the way forward. */
export function SessionError({ failure, onRetry }: Props) {
  const view = describeFailure(failure);
  return (
    <div
      className="session-error"
      role="alert"
      data-testid="session-error"
      data-cause={failure.cause}
    >
      <h2>{view.title}</h2>
      <p>{view.message}</p>
      {failure.detail ? <p className="session-error-detail">Details: {failure.detail}</p> : null}
      <button type="button" onClick={onRetry}>
        {view.action}
      </button>
    </div>
  );
}
