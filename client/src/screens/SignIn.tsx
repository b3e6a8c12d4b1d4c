import { useState, type SubmitEvent } from "react";
import { LoginBody } from "../../../shared/protocol/commands.js";
import { login } from "../api.js";

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
    setError(r.error.code === "BAD_CREDENTIALS" ? "That email and password do not match. Please check both and try again." : r.error.message);
  }

  return (
    <main className="page narrow">
      <h1>Holdspace</h1>
      <p className="muted">Sign in to your program.</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="signin-form">
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            value={email}
            onChange={(e) => { setEmail(e.target.value); }}
            aria-invalid={fields.email ? true : undefined}
            aria-describedby={fields.email ? "signin-email-error" : undefined}
            data-testid="signin-email"
          />
          {fields.email && (
            <span className="field-error" id="signin-email-error" data-testid="signin-email-error">{fields.email}</span>
          )}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => { setPassword(e.target.value); }}
            aria-invalid={fields.password ? true : undefined}
            aria-describedby={fields.password ? "signin-password-error" : undefined}
            data-testid="signin-password"
          />
          {fields.password && (
            <span className="field-error" id="signin-password-error" data-testid="signin-password-error">{fields.password}</span>
          )}
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="signin-error">{error}</p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
