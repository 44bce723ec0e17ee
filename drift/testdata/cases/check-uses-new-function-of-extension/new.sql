CREATE EXTENSION pgcrypto;
CREATE TABLE public.t (id int PRIMARY KEY, pw text, hash bytea GENERATED ALWAYS AS (public.digest(pw, 'sha256')) STORED);
