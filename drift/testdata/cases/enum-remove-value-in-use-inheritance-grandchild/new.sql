CREATE TYPE public.st AS ENUM ('new', 'done');
CREATE TABLE public.event (id int, s public.st[]);
CREATE TABLE public.event_2025 () INHERITS (public.event);
CREATE TABLE public.event_2025_q1 (note text) INHERITS (public.event_2025);
