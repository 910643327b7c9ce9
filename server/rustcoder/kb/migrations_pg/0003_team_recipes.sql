-- The team's own fix recipes: `[[recipe]]` tables (the shipped recipes' form,
-- an edit kind this rustcoder implements with the team's pattern, parameters
-- and worked example), stored as JSON with who published them. Every replica
-- reads them; `rustcoder kb recipes remove ID` deletes one.
CREATE TABLE kb_recipes (
    id text PRIMARY KEY,
    code text NOT NULL,
    recipe jsonb NOT NULL,
    contributor text NOT NULL DEFAULT '',
    rustc text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX kb_recipes_updated ON kb_recipes (updated_at);
