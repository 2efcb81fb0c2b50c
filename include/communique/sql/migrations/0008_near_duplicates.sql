-- 0008: near-duplicate signatures. Every usable article keeps a MinHash signature of its text, and
-- the LSH band keys of that signature go into a B-tree-indexed table, so that a later copy (another
-- run, another worker) finds its earlier copies with one index lookup instead of a scan.

CREATE TABLE article_signature (
    article_id   text PRIMARY KEY REFERENCES article (article_id) ON DELETE CASCADE,
    signature_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    scheme       smallint NOT NULL,
    body_sha256  text NOT NULL,
    shingles     integer NOT NULL CHECK (shingles > 0),
    minhash      bytea NOT NULL,
    band_keys    bigint[] NOT NULL
);
COMMENT ON TABLE article_signature IS 'One row per usable article with enough text: its near-duplicate signature (MinHash over 5-word shingles). Recomputed when the article text or the signature scheme changes.';
COMMENT ON COLUMN article_signature.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN article_signature.signature_id IS 'Compact surrogate key that article_band rows point to; a new signature gets a new one.';
COMMENT ON COLUMN article_signature.scheme IS 'Version of the signature recipe (communique.deduplication.SIGNATURE_SCHEME); signatures of different schemes are never compared.';
COMMENT ON COLUMN article_signature.body_sha256 IS 'article.body_sha256 of the text the signature was computed from; a different value means the signature is stale.';
COMMENT ON COLUMN article_signature.shingles IS 'Number of distinct shingles in the text (to estimate containment from the Jaccard estimate).';
COMMENT ON COLUMN article_signature.minhash IS 'MinHash values: 128 little-endian unsigned 32-bit integers (datasketch affine32 scheme).';
COMMENT ON COLUMN article_signature.band_keys IS 'LSH keys of the signature, one 64-bit hash per band (20 bands of 2 values); mirrored into article_band.';

CREATE TABLE article_band (
    band_key     bigint NOT NULL,
    signature_id bigint NOT NULL,
    PRIMARY KEY (band_key, signature_id)
);
COMMENT ON TABLE article_band IS 'LSH index of the signatures: one row per (band key, signature). Articles that share a band key are candidate copies, verified on their full signatures. Maintained by a trigger on article_signature.';
COMMENT ON COLUMN article_band.band_key IS 'Hash of one band of a signature (band number and values).';
COMMENT ON COLUMN article_band.signature_id IS 'The signature (article_signature.signature_id).';

CREATE FUNCTION communique_sync_article_band() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM article_band WHERE band_key = ANY (OLD.band_keys) AND signature_id = OLD.signature_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO article_band (band_key, signature_id)
        SELECT DISTINCT key, NEW.signature_id FROM unnest(NEW.band_keys) AS key;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION communique_sync_article_band() IS 'Keeps article_band equal to the band keys of article_signature.';
CREATE TRIGGER article_signature_band_sync
    AFTER INSERT OR DELETE OR UPDATE OF band_keys, signature_id ON article_signature
    FOR EACH ROW EXECUTE FUNCTION communique_sync_article_band();

ALTER TABLE article
    ADD COLUMN duplicate_of text REFERENCES article (article_id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN article.duplicate_of IS 'For a copy: the earlier article it was matched to (same canonical URL, same text, or the most similar near duplicate); NULL for a story representative.';
COMMENT ON COLUMN article.similarity IS 'For a copy: similarity to duplicate_of (1 for canonical and exact copies; for near duplicates the estimated Jaccard similarity of their shingles, or the estimated containment of the shorter text in the longer one when that decided).';
