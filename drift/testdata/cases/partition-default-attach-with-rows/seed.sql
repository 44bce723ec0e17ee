INSERT INTO public.r VALUES (1, 'de');
INSERT INTO public.r_rest VALUES (2, 'jp'), (3, 'us');
