import type { QuestionnaireDef } from "../../../shared/outcomes/instruments.js";

/** Every question with the answer picked, each with a way back to change it, before anything is sent. */
export function Review(props: {
  def: QuestionnaireDef;
  answers: readonly (number | null)[];
  onEdit: (i: number) => void;
}) {
  const { def, answers } = props;
  return (
    <section aria-labelledby="q-review-title" data-testid="q-review">
      <h2 id="q-review-title">Check your answers</h2>
      <p className="muted">Nothing is sent until you press “Send my answers”.</p>
      <ol className="q-review-list">
        {def.items.map((item, i) => {
          const a = answers[i];
          const option = item.options.find((o) => o.value === a);
          return (
            <li key={item.linkId}>
              <p className="q-review-q">{item.text}</p>
              <p className="q-review-a">
                <strong>{option ? option.label : "Not answered yet"}</strong>{" "}
                <button type="button" className="quiet" onClick={() => props.onEdit(i)}>
                  Change<span className="sr-only"> the answer to question {i + 1}</span>
                </button>
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
