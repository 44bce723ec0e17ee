CREATE TYPE public.tag AS ENUM ('blue', 'red');
CREATE TABLE public.items (id int PRIMARY KEY, palette int, tag public.tag);
