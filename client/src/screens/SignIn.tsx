import { useState, type SubmitEvent } from "react";
import { LoginBody } from "../../../shared/protocol/commands.js";
import { login } from "../api.js";
import { FormError, InputField } from "../forms/kit.js";
import { PageHeading } from "../PageHeading.js";

type Fields = Partial<Record<"email" | "password", string>>;

/** Email + password. Problems show next to their field, or as one plain sentence. */
export function SignIn(props: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fields, setFields] = useState<Fields>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setError(null);
    // The same schema the server parses with, so the messages match what it would say.
    const parsed = LoginBody.safeParse({ email, password });
    if (!parsed.success) {
      const next: Fields = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === "email" || key === "password") && !next[key]) next[key] = issue.message;
      }
      setFields(next);
      return;
    }
    setFields({});
    setBusy(true);
    const r = await login(parsed.data.email, parsed.data.password);
    if (r.ok) {
      await props.onSignedIn();
      return;
    }
    setBusy(false);
    const serverFields: Fields = {};
    if (r.error.fields.email) serverFields.email = r.error.fields.email;
    if (r.error.fields.password) serverFields.password = r.error.fields.password;
    setFields(serverFields);
    setError(
      r.error.code === "BAD_CREDENTIALS"
        ? "That email and password do not match. Please check both and try again."
        : r.error.message,
    );
  }

  return (
    <main className="page narrow">
      <PageHeading title="Sign in">Holdspace</PageHeading>
      <p className="muted">Sign in to your program.</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="signin-form">
        <InputField
          id="signin-email"
          label="Email"
          error={fields.email}
          value={email}
          onValue={setEmail}
          testId="signin-email"
          attrs={{ type: "email", name: "email", autoComplete: "username", inputMode: "email" }}
        />
        <InputField
          id="signin-password"
          label="Password"
          error={fields.password}
          value={password}
          onValue={setPassword}
          testId="signin-password"
          attrs={{ type: "password", name: "password", autoComplete: "current-password" }}
        />
        <FormError message={error} testId="signin-error" />
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
