INSERT INTO public.child VALUES (1, '2024-01-01', 'x');
