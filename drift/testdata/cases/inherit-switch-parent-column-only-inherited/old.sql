CREATE TABLE public.archive_base (id bigint NOT NULL, created_at timestamptz);
CREATE TABLE public.current_base (label text);
CREATE TABLE public.entries (body text) INHERITS (public.archive_base);
