/** A form field's own error, under it; the input points at it with aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="error small field-error" data-testid="field-error">
      {message}
    </span>
  );
}
