INSERT INTO public.events VALUES (1, '2024-05-01');
