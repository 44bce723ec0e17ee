INSERT INTO public.tags VALUES ('tag:a');
