-- 0008: near-duplicate signatures. Every usable article keeps a MinHash signature of its text and
-- the LSH band keys of that signature in a GIN-indexed array, so that a later copy (another run,
-- another worker) finds its earlier copies with one index lookup instead of a scan.

CREATE TABLE article_signature (
    article_id  text PRIMARY KEY REFERENCES article (article_id) ON DELETE CASCADE,
    scheme      smallint NOT NULL,
    body_sha256 text NOT NULL,
    shingles    integer NOT NULL CHECK (shingles > 0),
    minhash     bytea NOT NULL,
    band_keys   bigint[] NOT NULL
);
CREATE INDEX article_signature_band_keys_idx ON article_signature USING gin (band_keys);
COMMENT ON TABLE article_signature IS 'One row per usable article with enough text: its near-duplicate signature (MinHash over 5-word shingles) and LSH band keys. Rebuilt when the article text or the signature scheme changes.';
COMMENT ON COLUMN article_signature.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN article_signature.scheme IS 'Version of the signature recipe (communique.deduplication.SIGNATURE_SCHEME); signatures of different schemes are never compared.';
COMMENT ON COLUMN article_signature.body_sha256 IS 'article.body_sha256 of the text the signature was computed from; a different value means the signature is stale.';
COMMENT ON COLUMN article_signature.shingles IS 'Number of distinct shingles in the text (to estimate containment from the Jaccard estimate).';
COMMENT ON COLUMN article_signature.minhash IS 'MinHash values: 128 little-endian unsigned 32-bit integers (datasketch affine32 scheme).';
COMMENT ON COLUMN article_signature.band_keys IS 'LSH keys: one 64-bit hash per band of the signature (42 bands of 3 values); GIN-indexed, an overlap with another article''s keys makes it a candidate copy.';

ALTER TABLE article
    ADD COLUMN duplicate_of text REFERENCES article (article_id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN article.duplicate_of IS 'For a copy: the earlier article it was matched to (same canonical URL, same text, or the most similar near duplicate); NULL for a story representative.';
COMMENT ON COLUMN article.similarity IS 'For a copy: similarity to duplicate_of (1 for canonical and exact copies; for near duplicates the estimated Jaccard similarity of their shingles, or the estimated containment of the shorter text in the longer one when that decided).';
