INSERT INTO public.m VALUES (1, '2025-03-01', 'a');
INSERT INTO public.ref VALUES (1, 1, '2025-03-01');
