INSERT INTO public.m VALUES (1, '2025-03-01', 'x');
