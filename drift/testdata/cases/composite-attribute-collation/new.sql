CREATE TYPE public.named AS (name text COLLATE "C");
