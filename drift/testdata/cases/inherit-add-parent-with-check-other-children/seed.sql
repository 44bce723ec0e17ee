INSERT INTO public.kid VALUES (1, 2, 'k');
INSERT INTO public.other VALUES (2, 3, 4);
INSERT INTO public.newcomer VALUES (3, 4, 'n');
INSERT INTO public.newcomer_part VALUES (4, 5, 'p', 't');
