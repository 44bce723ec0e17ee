INSERT INTO public.t VALUES (1, 'red', '{red,green}'), (2, 'green', '{{red,amber},{green,green}}'), (3, NULL, NULL);
