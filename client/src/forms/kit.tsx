import { useState, type ReactNode } from "react";
import type { z } from "zod";
import type { HttpError } from "../admin/http.js";

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
  return {
    fields,
    form,
    clear: () => {
      setFields({});
      setForm(null);
    },
    /** A field the person has just changed no longer shows its old error. */
    touch: (key: string) => {
      setFields((f) => {
        if (!(key in f)) return f;
        const { [key]: _gone, ...rest } = f;
        return rest;
      });
    },
    fromZod: (e: z.ZodError) => {
      const f = issuesOf(e);
      setFields(f);
      setForm(f.form ?? "Some answers need attention: see the messages next to them.");
    },
    fromServer: (e: HttpError) => {
      setFields(e.fields);
      setForm(e.message);
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

export function FormError(props: { message: string | null; testId: string }) {
  return props.message ? (
    <p className="form-error" role="alert" data-testid={props.testId}>
      {props.message}
    </p>
  ) : null;
}
