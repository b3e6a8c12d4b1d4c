import { useState, type InputHTMLAttributes, type ReactNode, type SubmitEvent } from "react";
import type { z } from "zod";
import type { HttpError, HttpResult } from "../admin/http.js";

export type FieldErrors = Record<string, string>;

/** Problems by field, the first message per field, from the same zod schema the server uses [AC5]. */
export function issuesOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

/** A form's errors: per field (next to the field) and one sentence for the whole form. */
export function useFormErrors() {
  const [fields, setFields] = useState<FieldErrors>({});
  const [form, setForm] = useState<string | null>(null);
  const clear = () => {
    setFields({});
    setForm(null);
  };
  const fromZod = (e: z.ZodError) => {
    const f = issuesOf(e);
    setFields(f);
    setForm(f.form ?? "Some answers need attention: see the messages next to them.");
  };
  const fromServer = (e: HttpError) => {
    setFields(e.fields);
    setForm(e.message);
  };
  return {
    fields,
    form,
    clear,
    /** A field the person has just changed no longer shows its old error. */
    touch: (key: string) => {
      setFields((f) => {
        if (!(key in f)) return f;
        const { [key]: _gone, ...rest } = f;
        return rest;
      });
    },
    fromZod,
    fromServer,
    /**
     * The submit path the forms share: parse with the shared schema (after clearing, so a fresh
     * command id is made each time), send, then `done` with the reply or the server's errors by field.
     */
    submit:
      <T, R>(
        parse: () => z.ZodSafeParseResult<T>,
        send: (data: T) => Promise<HttpResult<R>>,
        done: (reply: R) => void,
      ) =>
      async (e: SubmitEvent<HTMLFormElement>): Promise<void> => {
        e.preventDefault();
        clear();
        const parsed = parse();
        if (!parsed.success) return fromZod(parsed.error);
        const r = await send(parsed.data);
        if (r.ok) done(r.data);
        else fromServer(r.error);
      },
  };
}

/** A labelled field with its error right under it, wired for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (aria: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const errId = `${props.id}-error`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && <span className="muted small">{props.hint}</span>}
      {props.children({ id: props.id, ...(props.error ? { "aria-invalid": true, "aria-describedby": errId } : {}) })}
      {props.error && (
        <span className="field-error" id={errId} data-testid={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** What an InputField passes on to its input besides the wiring it does itself. */
export type InputAttrs = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange">;

/** The usual Field: one input bound to a string, so each form does not wire value and change again. */
export function InputField(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  testId?: string;
  attrs?: InputAttrs;
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      {(a) => (
        <input
          {...a}
          {...props.attrs}
          value={props.value}
          onChange={(e) => {
            props.onValue(e.target.value);
          }}
          data-testid={props.testId}
        />
      )}
    </Field>
  );
}

/** A yes/no question as two radios; which one is checked follows `value` (null: neither yet). */
export function YesNo(props: {
  name: string;
  value: boolean | null | undefined;
  onChange: (value: boolean) => void;
  testId: string;
}) {
  const radio = (answer: boolean, text: string) => (
    <label className="check">
      <input
        type="radio"
        name={props.name}
        checked={props.value === answer}
        onChange={() => {
          props.onChange(answer);
        }}
        data-testid={`${props.testId}-${answer ? "yes" : "no"}`}
      />{" "}
      {text}
    </label>
  );
  return (
    <>
      {radio(true, "Yes")}
      {radio(false, "No")}
    </>
  );
}

export function FormError(props: { message: string | null; testId: string }) {
  return props.message ? (
    <p className="form-error" role="alert" data-testid={props.testId}>
      {props.message}
    </p>
  ) : null;
}
