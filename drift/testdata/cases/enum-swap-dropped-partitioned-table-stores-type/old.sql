CREATE TYPE public.state AS ENUM ('new', 'done', 'lost');
CREATE TABLE public.tasks (id int, state public.state);
CREATE TABLE public.task_events (id int, state public.state NOT NULL) PARTITION BY LIST (state);
CREATE TABLE public.task_events_new PARTITION OF public.task_events FOR VALUES IN ('new');
CREATE TABLE public.task_events_rest PARTITION OF public.task_events DEFAULT;
INSERT INTO public.tasks VALUES (1, 'new'), (2, 'done');
INSERT INTO public.task_events VALUES (1, 'new'), (2, 'lost');
