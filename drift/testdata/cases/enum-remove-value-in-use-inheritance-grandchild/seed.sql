INSERT INTO public.event VALUES (1, '{new}');
INSERT INTO public.event_2025 VALUES (2, '{done}');
INSERT INTO public.event_2025_q1 VALUES (3, '{new,held}', 'x');
