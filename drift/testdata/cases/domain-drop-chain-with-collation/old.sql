CREATE TABLE public.anchor (id integer);
CREATE SCHEMA lexicon;
CREATE COLLATION lexicon.bytewise (provider = libc, locale = 'C');
CREATE DOMAIN lexicon.word AS text COLLATE lexicon.bytewise;
CREATE DOMAIN lexicon.words AS lexicon.word[];
