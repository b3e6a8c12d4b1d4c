import type { ReactNode } from "react";

/**
 * The one-line form a facilitator starts a live room with (a session or a circle): a title,
 * any extra fields, the button, and the refusal under it. Each caller keeps its own command.
 */
export function StartForm(props: {
  /** Test ids are `${testIdPrefix}-form|title|submit-${cohortId}`. */
  testIdPrefix: string;
  cohortId: string;
  label: string;
  placeholder: string;
  title: string;
  onTitle: (title: string) => void;
  /** Marks the title invalid while there is an error. */
  markInvalid?: boolean;
  busy: boolean;
  button: string;
  error: string | null;
  errorTestId?: string;
  onStart: () => void;
  children?: ReactNode;
}) {
  const testId = (part: string) => `${props.testIdPrefix}-${part}-${props.cohortId}`;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onStart();
      }}
      noValidate
      data-testid={testId("form")}
    >
      <label className="field">
        <span>{props.label}</span>
        <input
          type="text"
          placeholder={props.placeholder}
          maxLength={120}
          value={props.title}
          onChange={(e) => {
            props.onTitle(e.target.value);
          }}
          aria-invalid={props.markInvalid && props.error ? true : undefined}
          data-testid={testId("title")}
        />
      </label>
      {props.children}
      <button type="submit" className="primary" disabled={props.busy} data-testid={testId("submit")}>
        {props.button}
      </button>
      {props.error && (
        <p className="field-error" role="alert" data-testid={props.errorTestId}>
          {props.error}
        </p>
      )}
    </form>
  );
}
