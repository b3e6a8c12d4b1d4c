import type { ChangeEvent, ReactNode, SubmitEvent } from "react";

/** The room forms' small parts: a submit handler, a number reader, a tick box and a text field. */
export function submitter(fn: () => void) {
  return (e: SubmitEvent<HTMLFormElement>): void => {
    e.preventDefault();
    fn();
  };
}

/** An empty box is NaN, so the server's schema (not a silent 0) says what is missing. */
export const num = (v: string): number => (v.trim() === "" ? NaN : Number(v));

/** The room's tick box: the box, then its text, inside one label. */
export function Check(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => {
          props.onChange(e.target.checked);
        }}
        data-testid={props.testId}
      />{" "}
      {props.children}
    </label>
  );
}

/** A free-text field in the room's compact style; with `rows` it is a textarea. */
export function TextField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  maxLength: number;
  rows?: number;
  testId: string;
}) {
  const attrs = {
    maxLength: props.maxLength,
    value: props.value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      props.onValue(e.target.value);
    },
    "data-testid": props.testId,
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.rows === undefined ? <input {...attrs} /> : <textarea {...attrs} rows={props.rows} />}
    </label>
  );
}
