INSERT INTO public.child VALUES (1, 'x', 2);
