INSERT INTO public.event VALUES (1, 'new');
INSERT INTO public.event_archive VALUES (3, 'done', 'kept');
