INSERT INTO public.t VALUES (1, '[low,high)');
