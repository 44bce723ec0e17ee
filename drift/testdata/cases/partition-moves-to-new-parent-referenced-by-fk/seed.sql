INSERT INTO public.old_events VALUES (1, 'a');
INSERT INTO public.ref VALUES (1, 'a');
