CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE public.b (
    id bigint PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT b_name_len CHECK (length(name) < 100)
);
