import { useState, type SyntheticEvent } from "react";
import "./AskBox.css";

interface Props {
  enabled: boolean;
  maxLength: number;
  onSend: (text: string) => boolean;
}

/** A small box to type a question, for when talking is not an option. */
export function AskBox({ enabled, maxLength, onSend }: Props) {
  const [text, setText] = useState("");
  const [unsent, setUnsent] = useState(false);

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (onSend(text)) {
      setText("");
      setUnsent(false);
    } else {
      setUnsent(true);
    }
  };

  return (
    <form className="ask" onSubmit={submit} aria-label="Ask by typing">
      <input
        type="text"
        data-testid="text-input"
        aria-label="Type a question"
        placeholder={enabled ? "Or type a question…" : "Start talking first"}
        value={text}
        maxLength={maxLength}
        disabled={!enabled}
        enterKeyHint="send"
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          setUnsent(false);
        }}
      />
      <button type="submit" data-testid="send-text" disabled={!enabled || text.trim() === ""}>
        Send
      </button>
      {unsent ? (
        <p className="ask-error" role="alert">
          Not sent: the connection isn’t ready. Try again in a moment.
        </p>
      ) : null}
    </form>
  );
}
