import { useState } from 'preact/hooks';

/** Props of {@link RatingGroup}. */
export interface RatingGroupProps {
  /** Unique per page: names the radios and ids. */
  name: string;
  legend: string;
  min: number;
  max: number;
  /** What the lowest and highest values mean ("sehr unzufrieden" … "sehr zufrieden"). */
  low: string;
  high: string;
  submitLabel: string;
  /** Said when the visitor submits without choosing. */
  chooseValue: string;
  onSubmit(score: number): void;
  /** With a label, the survey is optional and can be skipped. */
  skipLabel?: string | undefined;
  onSkip?: (() => void) | undefined;
}

/**
 * A survey question as a labelled radio group (fieldset and legend): arrow keys move between the
 * values, Space picks one, the button sends it.
 */
export function RatingGroup(props: RatingGroupProps) {
  const [score, setScore] = useState<number | undefined>();
  const [missing, setMissing] = useState(false);
  const values = Array.from({ length: props.max - props.min + 1 }, (_, i) => props.min + i);
  const scaleId = `lotse-${props.name}-scale`;
  const errorId = `lotse-${props.name}-error`;
  return (
    <form
      class="survey"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (score === undefined) setMissing(true);
        else props.onSubmit(score);
      }}
    >
      <fieldset aria-describedby={missing ? `${scaleId} ${errorId}` : scaleId}>
        <legend>{props.legend}</legend>
        <p id={scaleId} class="scale">
          {`${props.min} = ${props.low}, ${props.max} = ${props.high}`}
        </p>
        <div class="scores">
          {values.map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`lotse-${props.name}`}
                value={value}
                checked={score === value}
                onChange={() => {
                  setScore(value);
                  setMissing(false);
                }}
              />
              <span>{value}</span>
            </label>
          ))}
        </div>
        {missing ? (
          <p id={errorId} class="error" role="alert">
            {props.chooseValue}
          </p>
        ) : null}
      </fieldset>
      <div class="row">
        <button type="submit" class="primary">
          {props.submitLabel}
        </button>
        {props.skipLabel && props.onSkip ? (
          <button type="button" onClick={props.onSkip}>
            {props.skipLabel}
          </button>
        ) : null}
      </div>
    </form>
  );
}
