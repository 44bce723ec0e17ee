INSERT INTO public.t SELECT g, 'n' || g FROM generate_series(1, 500) g;
