import { useEffect, useRef, type ReactNode } from "react";
import type { FeedEntry } from "../events";
import "./Transcript.css";

interface Props {
  feed: FeedEntry[];
  /** Shown under the list (the text box). */
  children?: ReactNode;
}

/** Distance from the bottom under which the list keeps following new lines. */
const FOLLOW_THRESHOLD_PX = 80;

function Entry({ entry }: { entry: FeedEntry }) {
  if (entry.kind === "notice") {
    return (
      <li className="entry notice" data-testid="agent-error" role="note">
        <span className="speaker">Sous couldn’t help</span>
        <p>{entry.text}</p>
      </li>
    );
  }
  const speaker = entry.role === "user" ? "You" : "Sous";
  return (
    <li
      className={`entry ${entry.role}${entry.final ? "" : " partial"}`}
      data-testid="transcript-entry"
      data-role={entry.role}
      data-final={entry.final}
    >
      <span className="speaker">
        {speaker}
        {entry.typed ? <span className="typed"> (typed)</span> : null}
      </span>
      <p>{entry.text}</p>
    </li>
  );
}

/** Both sides of the conversation, newest at the bottom, following along while read live. */
export function Transcript({ feed, children }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [feed]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    following.current =
      element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
  };

  return (
    <section className="panel transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title">Conversation</h2>
      <div className="transcript-scroll" ref={scroller} onScroll={onScroll}>
        {feed.length === 0 ? (
          <p className="empty">What you say and what Sous answers shows up here.</p>
        ) : (
          <ol
            className="entries"
            data-testid="transcript"
            aria-live="polite"
            aria-relevant="additions"
          >
            {feed.map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </ol>
        )}
      </div>
      {children}
    </section>
  );
}
