CREATE TYPE public.st AS ENUM ('new', 'held', 'done');
CREATE TABLE public.event (id int, s public.st);
CREATE TABLE public.event_archive (note text) INHERITS (public.event);
