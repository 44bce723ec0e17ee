CREATE TYPE public.named AS (name text);
