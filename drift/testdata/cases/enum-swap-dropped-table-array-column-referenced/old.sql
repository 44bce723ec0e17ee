-- The dropped table stores an array of the type and is referenced by a kept
-- table's foreign key, which Git drops too.
CREATE TYPE public.tag AS ENUM ('red', 'green', 'blue');
CREATE TABLE public.palettes (id int PRIMARY KEY, tags public.tag[]);
CREATE TABLE public.items (id int PRIMARY KEY, palette int REFERENCES public.palettes (id), tag public.tag);
INSERT INTO public.palettes VALUES (1, '{red,blue}');
INSERT INTO public.items VALUES (1, 1, 'red');
