import { useEffect, useRef } from "react";
import type { QuestionItem } from "../../../shared/outcomes/instruments.js";

/**
 * One question as a radio group of large options (the whole row is the tap target). Native
 * radios give the keyboard behaviour for free: Tab into the group, arrows move between options,
 * Space picks. Focus goes to the question's heading when it appears, so a screen reader reads
 * the question first and a sighted person's eye starts at the top.
 */
export function QuestionStep(props: {
  item: QuestionItem;
  index: number;
  count: number;
  preamble: string;
  value: number | null;
  onChange: (value: number) => void;
}) {
  const { item, index, value } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [index]);
  const name = `q-${item.linkId}`;
  return (
    <fieldset className="plain q-step" aria-labelledby={`${name}-text`} aria-describedby={`${name}-stem`}>
      {item.group && <p className="q-group">{item.group}</p>}
      <p className="muted q-stem" id={`${name}-stem`}>
        {props.preamble}
      </p>
      <h2 className="q-text" id={`${name}-text`} ref={heading} tabIndex={-1}>
        {/* Read with the question when the focus lands on it: the bar above is not announced. */}
        <span className="sr-only">
          Question {index + 1} of {props.count}:{" "}
        </span>
        {item.text}
      </h2>
      <div className="q-options">
        {item.options.map((o) => (
          <label key={o.value} className={value === o.value ? "q-option picked" : "q-option"}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => props.onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** "Question 3 of 9" in words and as a bar; the bar is decoration (the words are the value). */
export function Progress(props: { at: number; count: number }) {
  const { at, count } = props;
  const label = at >= count ? `All ${count} questions answered` : `Question ${at + 1} of ${count}`;
  return (
    <div className="q-progress" data-testid="q-progress">
      <p className="q-progress-words">{label}</p>
      <div
        className="q-bar"
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={count}
        aria-valuenow={Math.min(at, count)}
        aria-valuetext={label}
      >
        <div className="q-bar-fill" style={{ width: `${(Math.min(at, count) / count) * 100}%` }} />
      </div>
    </div>
  );
}
