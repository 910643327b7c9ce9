-- Learned examples shared by a team: one row per distinct fix (same error, same
-- changed lines), with its vector for KNN (HNSW) and a tsvector for keywords.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE kb_learned (
    id bigserial PRIMARY KEY,
    fingerprint text NOT NULL UNIQUE,
    code text NOT NULL,
    message text NOT NULL,
    normalized text NOT NULL,
    before text NOT NULL,
    after text NOT NULL,
    diff text NOT NULL,
    source text NOT NULL,
    title text NOT NULL DEFAULT '',
    success_count integer NOT NULL DEFAULT 1 CHECK (success_count > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    embedding vector(384) NOT NULL,
    keywords tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', lower(code) || ' ' || normalized)
    ) STORED
);

CREATE INDEX kb_learned_code ON kb_learned (code);
CREATE INDEX kb_learned_keywords ON kb_learned USING gin (keywords);
CREATE INDEX kb_learned_embedding ON kb_learned USING hnsw (embedding vector_cosine_ops);
