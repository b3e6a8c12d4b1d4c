import { useEffect, useState, type SubmitEvent } from "react";
import { z } from "zod";
import { Link } from "wouter";
import { navigate } from "wouter/use-browser-location";
import { EnrolAccept, InviteInfo } from "../../../shared/protocol/admin.js";
import { http } from "../admin/http.js";
import { FormError, InputField, useFormErrors } from "./kit.js";
import { PageHeading } from "../PageHeading.js";

/**
 * /join/:token — a one-time link: a participant's enrolment, or a new facilitator's invite. Either
 * way the person chooses their name and password; the server decides the role from the link.
 */
export function EnrolPage(props: { token: string; onSignedIn: () => Promise<void> }) {
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();

  // Only describes the link, so running twice (StrictMode) is harmless; the Join button spends it.
  useEffect(() => {
    void http("GET", `/api/auth/enrol/${encodeURIComponent(props.token)}`, InviteInfo).then((r) =>
      r.ok ? setInfo(r.data) : setInvalid(r.error.message),
    );
  }, [props.token]);

  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    errors.clear();
    const parsed = EnrolAccept.safeParse({ token: props.token, name, email, password });
    if (!parsed.success) return errors.fromZod(parsed.error);
    setBusy(true);
    const r = await http(
      "POST",
      "/api/auth/enrol",
      z.object({ user: z.object({ id: z.string(), role: z.string() }) }),
      parsed.data,
    );
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === "INVITE_INVALID") setInvalid(r.error.message);
      return errors.fromServer(r.error);
    }
    await props.onSignedIn();
    navigate(r.data.user.role === "participant" ? "/my/forms" : "/", { replace: true });
  }

  if (invalid) {
    return (
      <main className="page narrow center dim">
        <PageHeading title="Join">Holdspace</PageHeading>
        <p className="form-error" role="alert" data-testid="enrol-invalid">
          {invalid}
        </p>
        <Link href="/">Go to sign-in</Link>
      </main>
    );
  }
  return (
    <main className="page narrow dim">
      <PageHeading title="Join">Welcome</PageHeading>
      {info ? (
        <p data-testid="enrol-cohort">{joining(info)}</p>
      ) : (
        <p className="muted" role="status">
          Checking your link…
        </p>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="enrol-form">
        <InputField
          id="enrol-name"
          label="Your name"
          hint={
            info?.kind === "facilitator"
              ? "Shown to your colleagues and the participants you work with."
              : "First name is enough; others in your group will see it."
          }
          error={errors.fields.name}
          value={name}
          onValue={setName}
          attrs={{ autoComplete: "given-name" }}
        />
        <InputField
          id="enrol-email"
          label="Email (to sign in later)"
          error={errors.fields.email}
          value={email}
          onValue={setEmail}
          attrs={{ type: "email", autoComplete: "username" }}
        />
        <InputField
          id="enrol-password"
          label="Choose a password"
          hint="At least 10 characters."
          error={errors.fields.password}
          value={password}
          onValue={setPassword}
          attrs={{ type: "password", autoComplete: "new-password" }}
        />
        <FormError message={errors.form} testId="enrol-error" />
        <button type="submit" className="primary big" disabled={busy || !info} data-testid="enrol-submit">
          {busy ? "Creating your account…" : "Join"}
        </button>
      </form>
    </main>
  );
}

function joining(info: InviteInfo) {
  if (info.kind === "participant")
    return (
      <>
        You are joining <strong>{info.cohortName}</strong> of {info.programName}.
      </>
    );
  return (
    <>
      You are invited to join <strong>{info.programName}</strong> as a facilitator
      {info.cohortName !== null && (
        <>
          , working with <strong>{info.cohortName}</strong>
        </>
      )}
      .
    </>
  );
}
