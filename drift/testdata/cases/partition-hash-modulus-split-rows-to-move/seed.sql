INSERT INTO public.h SELECT g, 'v' FROM generate_series(1, 20) g;
