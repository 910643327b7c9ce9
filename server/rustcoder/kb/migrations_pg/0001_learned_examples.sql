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
    -- Sign bits of the vector (48 bytes): a cheap first pass for KNN within a code.
    signs bit(384) GENERATED ALWAYS AS (binary_quantize(embedding)::bit(384)) STORED,
    keywords tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', lower(code) || ' ' || normalized)
    ) STORED
);

-- Vectors stay inline (never TOASTed): a scan that reads them must not chase
-- a TOAST pointer per row; long code texts are moved out instead.
ALTER TABLE kb_learned ALTER COLUMN embedding SET STORAGE PLAIN;

CREATE INDEX kb_learned_code ON kb_learned (code);
-- KNN within one error code (the editor's query) ranks the code's sign bits
-- from this index alone (they lie together, unlike rows of the heap or HNSW's
-- graph), then re-ranks a shortlist exactly.
CREATE INDEX kb_learned_code_signs ON kb_learned (code) INCLUDE (id, signs);
CREATE INDEX kb_learned_keywords ON kb_learned USING gin (keywords);
CREATE INDEX kb_learned_embedding ON kb_learned USING hnsw (embedding vector_cosine_ops);
