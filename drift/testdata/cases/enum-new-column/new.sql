CREATE TYPE public.state AS ENUM ('draft', 'published');
CREATE TABLE public.t (id int PRIMARY KEY, state public.state NOT NULL DEFAULT 'draft');
