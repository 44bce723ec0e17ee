INSERT INTO public.event VALUES (1, 'new'), (2, 'done');
INSERT INTO public.event_archive VALUES (3, 'held', 'kept');
