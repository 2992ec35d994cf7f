-- Per-term chunk counts of the word index, read at query time to leave out of
-- a large twin's candidate query the terms too common to rank by.
CREATE VIRTUAL TABLE kn_fts_terms USING fts5vocab (kn_fts, 'row');
