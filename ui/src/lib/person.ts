// People as Relman records them: "Name <email>" (or a bare name from before emails were recorded).

export type Person = { name: string; email: string };

/// The name and the email of a recorded person; a bare name has no email.
export function person(actor: string): Person {
  const match = /^(.*?)\s*<([^>]*)>$/.exec(actor.trim());
  return match?.[1] ? { name: match[1], email: match[2] ?? "" } : { name: actor.trim(), email: "" };
}

/// Just the name, for places where the email would crowd the line (the full identity goes in a tooltip).
export function personName(actor: string): string {
  return person(actor).name;
}
