CREATE TABLE public.schema_migrations (version character varying NOT NULL PRIMARY KEY);
CREATE TABLE public.posts (id bigint NOT NULL PRIMARY KEY, title character varying);
